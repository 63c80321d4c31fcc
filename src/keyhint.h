/*
 * keyhint.h - front matter keys that look like a link set's key but are
 * not, so that a typo does not silently leave a render unpublished.
 *
 * A page that writes `mp3: [x.mp3]` where the set's key is `mp3s` makes no
 * link and no error: the media plug-in only reads `mp3s`.  A key is
 * suspicious when it is not any set's key, is one edit (insertion,
 * deletion or substitution of one byte) away from a set's key once both
 * are lower-cased (so case-only differences count too: `MP3s`, `Mp3`),
 * and its value looks like a reference of that set: a string, or a list
 * holding a string, ending in ".<ext>" of one of the set's extensions
 * (case-insensitive).  The value test keeps ordinary keys one letter from
 * a set's key (`tag` and `tags`) quiet.
 */
#ifndef RL_KEYHINT_H
#define RL_KEYHINT_H

struct config;
struct docindex;
struct problems;

/*
 * One warning (code "suspicious-key") per suspicious key of each
 * document, naming the page, the key, and the set's key it resembles
 * (the first set in config order).
 */
void	 keyhint_check(struct problems *p, const struct config *cfg,
	    const struct docindex *idx);

#endif
