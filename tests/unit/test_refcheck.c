/*
 * test_refcheck.c - hostile and friendly media references.
 *
 * Each rejected reference must also name the rule it broke (a key word
 * of the message), so a user who typed it knows what to fix.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "refcheck.h"
#include "strbuf.h"
#include "util.h"

static const char *const rc_mp3[] = { "mp3" };

struct rc_bad {
	const char *ref;
	const char *keyword;
};

static void
rc_expect_bad(const struct rc_bad *cases, size_t n, const char *const *exts,
    size_t nexts)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rl_error_clear();
		cr_expect_eq(ref_check(cases[i].ref, exts, nexts), -1,
		    "accepted hostile reference [%zu] \"%s\"", i, cases[i].ref);
		cr_expect_not_null(strstr(rl_error_last(), cases[i].keyword),
		    "[%zu]: message \"%s\" lacks \"%s\"", i, rl_error_last(),
		    cases[i].keyword);
	}
	rl_error_clear();
}

Test(refcheck, escapes_the_media_root)
{
	static const struct rc_bad cases[] = {
		{ "/etc/passwd", "absolute" },
		{ "/x.mp3", "absolute" },
		{ "C:\\x.mp3", "drive \"C:\"" },
		{ "C:/x.mp3", "drive" },
		{ "c:x.mp3", "drive \"c:\"" },
		{ "a:b.mp3", "drive" },
		{ "\\\\server\\share\\x.mp3", "UNC" },
		{ "\\\\?\\C:\\x.mp3", "UNC" },
		{ "//x.mp3", "UNC" },
		{ "/\\x.mp3", "UNC" },
		{ "../x.mp3", "climb" },
		{ "..", "climb" },
		{ "a/../../x.mp3", "climb" },
		{ "a/..", "climb" },
		{ "a/./x.mp3", "\".\" segment" },
		{ "./x.mp3", "\".\" segment" },
		{ "a//x.mp3", "empty segment" },
		{ "a/", "ends with \"/\"" },
		{ "", "empty" },
	};

	rc_expect_bad(cases, ARRAY_SIZE(cases), rc_mp3, 1);
	/* The same without an extension list: the path rules still hold. */
	rc_expect_bad(cases, ARRAY_SIZE(cases), NULL, 0);
}

Test(refcheck, rejects_backslash_with_hint)
{
	cr_assert_eq(ref_check("a\\b.mp3", rc_mp3, 1), -1);
	cr_assert_str_eq(rl_error_last(), "reference \"a\\\\b.mp3\": "
	    "backslash at byte 1; use \"/\" to separate folders");
	cr_assert_eq(ref_check("\\x.mp3", rc_mp3, 1), -1);
	cr_assert_not_null(strstr(rl_error_last(), "use \"/\""));
}

Test(refcheck, rejects_control_characters_and_bad_utf8)
{
	static const struct rc_bad cases[] = {
		{ "x.mp3\n", "control character \\x0a" },
		{ "x\t.mp3", "control character \\x09" },
		{ "x\r.mp3", "control character \\x0d" },
		{ "a/\x01.mp3", "control character \\x01" },
		{ "x\x7f.mp3", "control character \\x7f" },
		{ "x\xff.mp3", "UTF-8 at byte 1" },
		{ "x\xc3.mp3", "UTF-8" },		/* truncated */
		{ "x.mp3\xc3", "UTF-8" },		/* truncated at end */
		{ "a\xc0\xaf..\xc0\xafx.mp3", "UTF-8" },	/* overlong '/' */
		{ "\xe0\x80\xaf.mp3", "UTF-8" },	/* overlong '/' */
		{ "\xed\xa0\x80.mp3", "UTF-8" },	/* surrogate */
		{ "\xf4\x90\x80\x80.mp3", "UTF-8" },	/* > U+10FFFF */
		{ "\x80.mp3", "UTF-8" },		/* lone continuation */
	};

	rc_expect_bad(cases, ARRAY_SIZE(cases), rc_mp3, 1);
}

Test(refcheck, message_does_not_carry_raw_control_bytes)
{
	const char *m;

	cr_assert_eq(ref_check("x.mp3\n", rc_mp3, 1), -1);
	m = rl_error_last();
	cr_assert_null(strchr(m, '\n'), "raw newline in \"%s\"", m);
	cr_assert_not_null(strstr(m, "\"x.mp3\\x0a\""), "got \"%s\"", m);
}

Test(refcheck, rejects_reserved_device_names)
{
	static const struct rc_bad cases[] = {
		{ "CON.mp3", "reserved" },
		{ "con.MP3", "reserved" },
		{ "Con.mp3", "reserved" },
		{ "PRN.mp3", "reserved" },
		{ "AUX", "reserved Windows device name \"AUX\"" },
		{ "nul.mp3", "reserved" },
		{ "nul.tar.mp3", "reserved Windows device name \"nul\"" },
		{ "NUL .mp3", "reserved" },
		{ "COM1.mp3", "reserved" },
		{ "lpt9.mp3", "reserved" },
		{ "COM\xc2\xb9.mp3", "reserved" },	/* COM¹ */
		{ "lpt\xc2\xb2.mp3", "reserved" },	/* lpt² */
		{ "LPT\xc2\xb3.mp3", "reserved" },	/* LPT³ */
		{ "aux/x.mp3", "reserved" },		/* a folder too */
		{ "songs/CON/x.mp3", "reserved" },
	};

	rc_expect_bad(cases, ARRAY_SIZE(cases), NULL, 0);
}

Test(refcheck, rejects_what_ntfs_cannot_hold)
{
	static const struct rc_bad cases[] = {
		{ "x.mp3.", "ends with a dot" },
		{ "x.mp3 ", "ends with a space" },
		{ "dir./x.mp3", "ends with a dot" },
		{ "ab:c.mp3", "':'" },
		{ "x.mp3:stream", "':'" },
		{ "a?.mp3", "'?'" },
		{ "a*.mp3", "'*'" },
		{ "a|b.mp3", "'|'" },
		{ "a\"b.mp3", "'\"'" },
		{ "a<b.mp3", "'<'" },
		{ "a>b.mp3", "'>'" },
	};

	rc_expect_bad(cases, ARRAY_SIZE(cases), rc_mp3, 1);
}

Test(refcheck, message_names_segment_and_reference)
{
	cr_assert_eq(ref_check("songs/a?.mp3", rc_mp3, 1), -1);
	cr_assert_str_eq(rl_error_last(), "reference \"songs/a?.mp3\": "
	    "name \"a?.mp3\": character '?' is not allowed in Windows names");
}

Test(refcheck, rejects_names_too_long)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	/* 256 UTF-16 units: one more than NTFS holds. */
	for (i = 0; i < 252; i++)
		strbuf_putc(&sb, 'a');
	strbuf_puts(&sb, ".mp3");
	cr_expect_eq(ref_check(sb.buf, rc_mp3, 1), -1);
	cr_expect_not_null(strstr(rl_error_last(), "too long for NTFS"),
	    "got \"%s\"", rl_error_last());
	/* 255 units is the limit and fine. */
	strbuf_reset(&sb);
	for (i = 0; i < 251; i++)
		strbuf_putc(&sb, 'a');
	strbuf_puts(&sb, ".mp3");
	cr_expect_eq(ref_check(sb.buf, rc_mp3, 1), 0, "%s", rl_error_last());

	/* 200 units but 404 bytes: NTFS could, ext4 (the link) cannot. */
	strbuf_reset(&sb);
	for (i = 0; i < 200; i++)
		strbuf_puts(&sb, "\xc3\xb1");
	strbuf_puts(&sb, ".mp3");
	cr_expect_eq(winname_check(sb.buf, sb.len), 0, "%s", rl_error_last());
	cr_expect_eq(ref_check(sb.buf, rc_mp3, 1), -1);
	cr_expect_not_null(strstr(rl_error_last(), "too long for Linux"),
	    "got \"%s\"", rl_error_last());

	/* A whole path of PATH_MAX bytes, every segment short. */
	strbuf_reset(&sb);
	while (sb.len < PATH_MAX)
		strbuf_puts(&sb, "abcdefg/");
	strbuf_puts(&sb, "x.mp3");
	cr_expect_eq(ref_check(sb.buf, rc_mp3, 1), -1);
	cr_expect_not_null(strstr(rl_error_last(), "too long"),
	    "got \"%s\"", rl_error_last());
	/* The message must not repeat the whole 4 KiB reference. */
	cr_expect_lt(strlen(rl_error_last()), 200);
	strbuf_free(&sb);
	rl_error_clear();
}

Test(refcheck, winname_counts_utf16_units)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	/* U+1F3B5 is one code point but two UTF-16 units. */
	for (i = 0; i < 127; i++)
		strbuf_puts(&sb, "\xf0\x9f\x8e\xb5");
	strbuf_putc(&sb, 'x');
	cr_expect_eq(winname_check(sb.buf, sb.len), 0, "%s", rl_error_last());
	strbuf_putc(&sb, 'y');
	cr_expect_eq(winname_check(sb.buf, sb.len), -1);
	cr_expect_not_null(strstr(rl_error_last(), "256 UTF-16 units"),
	    "got \"%s\"", rl_error_last());
	strbuf_free(&sb);
	rl_error_clear();
}

Test(refcheck, winname_uses_length_not_nul)
{
	/* Only the first 3 bytes are the name: "CON", reserved. */
	cr_expect_eq(winname_check("CONSOLE", 3), -1);
	cr_expect_eq(winname_check("CONSOLE", 7), 0);
	cr_expect_eq(winname_check("a\0b", 3), -1);
	cr_expect_eq(winname_check("", 0), -1);
	rl_error_clear();
}

Test(refcheck, rejects_wrong_or_missing_extension)
{
	static const struct rc_bad cases[] = {
		{ "x.wav", "extension \".wav\" is not allowed (allowed: "
		    ".mp3)" },
		{ "x.mp3.wav", "extension \".wav\"" },
		{ "x", "no extension" },
		{ ".mp3", "no extension" },
		{ "songs/.mp3", "no extension" },
		{ "x.mp3/y", "no extension" },
		{ "mp3", "no extension" },
	};
	static const char *const two[] = { "mp3", "flac" };

	rc_expect_bad(cases, ARRAY_SIZE(cases), rc_mp3, 1);
	cr_assert_eq(ref_check("x.wav", two, 2), -1);
	cr_assert_not_null(strstr(rl_error_last(), "(allowed: .mp3, .flac)"),
	    "got \"%s\"", rl_error_last());
	rl_error_clear();
}

Test(refcheck, accepts_good_references)
{
	static const char *const good[] = {
		"One Year Older (136 bpm, landscape, long, lyrics, take 7; "
		    "2024-11-20).mp3",
		"proj/outputs/mp3s/x.MP3",
		"x.Mp3",
		"Canci\xc3\xb3n \xc3\xb1.mp3",		/* Canción ñ.mp3 */
		"\xe6\xad\x8c/\xf0\x9f\x8e\xb5.mp3",	/* CJK and emoji */
		"console.mp3",
		"CONx.mp3",
		"COM10.mp3",
		"COM0.mp3",
		"LPT.mp3",
		"x.tar.mp3",
		"x.con.mp3",
		"..x.mp3",
		"a.b/c.mp3",
		"a b/c d.mp3",
		"[draft] #1 & 50% 'mix' ~ +.mp3",
		"a/b/c/d/e/f.mp3",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		cr_expect_eq(ref_check(good[i], rc_mp3, 1), 0,
		    "rejected \"%s\": %s", good[i], rl_error_last());
	rl_error_clear();
}

Test(refcheck, no_extension_list_means_any)
{
	cr_expect_eq(ref_check("x.wav", NULL, 0), 0);
	cr_expect_eq(ref_check("stems/README", NULL, 0), 0);
	cr_expect_eq(ref_check(".mp3", NULL, 0), 0);
}

Test(refcheck, extension_and_basename)
{
	cr_expect_str_eq(ref_extension("a/b/x.tar.mp3"), "mp3");
	cr_expect_str_eq(ref_extension("x.MP3"), "MP3");
	cr_expect_str_eq(ref_extension("a.d/x"), "");
	cr_expect_str_eq(ref_extension(".mp3"), "");
	cr_expect_str_eq(ref_extension("..mp3"), "");
	cr_expect_str_eq(ref_extension(".x.mp3"), "mp3");
	cr_expect_str_eq(ref_extension("x."), "");
	cr_expect_str_eq(ref_basename("a/b/x.mp3"), "x.mp3");
	cr_expect_str_eq(ref_basename("x.mp3"), "x.mp3");
	cr_expect_str_eq(ref_basename("a/"), "");
}

/*
 * The messages as they were before ref_check took one pass (made by
 * the rules one at a time): the fast pass must leave every refusal to
 * the rules, so each keeps its exact words.
 */
Test(refcheck, refusals_keep_their_exact_message)
{
	static const struct {
		const char *ref, *msg;
	} cases[] = {
		{ "a/\xc0" "\xaf" ".mp3",
		    "reference \"a/\\xc0\\xaf.mp3\": not valid UTF-8 at byte "
		    "2" },
		{ "\xe0" "\x80" "\xaf" ".mp3",
		    "reference \"\\xe0\\x80\\xaf.mp3\": not valid UTF-8 at "
		    "byte 0" },
		{ "\xf0" "\x80" "\x80" "\x80" ".mp3",
		    "reference \"\\xf0\\x80\\x80\\x80.mp3\": not valid UTF-8 "
		    "at byte 0" },
		{ "\xc1" "\xbf" ".mp3",
		    "reference \"\\xc1\\xbf.mp3\": not valid UTF-8 at byte 0" },
		{ "x\xed" "\xa0" "\x80" ".mp3",
		    "reference \"x\\xed\\xa0\\x80.mp3\": not valid UTF-8 at "
		    "byte 1" },
		{ "x\xed" "\xbf" "\xbf" ".mp3",
		    "reference \"x\\xed\\xbf\\xbf.mp3\": not valid UTF-8 at "
		    "byte 1" },
		{ "\xf4" "\x90" "\x80" "\x80" ".mp3",
		    "reference \"\\xf4\\x90\\x80\\x80.mp3\": not valid UTF-8 "
		    "at byte 0" },
		{ "\xf5" "\x80" "\x80" "\x80" ".mp3",
		    "reference \"\\xf5\\x80\\x80\\x80.mp3\": not valid UTF-8 "
		    "at byte 0" },
		{ "x.mp3\xe2" "\x82" "",
		    "reference \"x.mp3\\xe2\\x82\": not valid UTF-8 at byte "
		    "5" },
		{ "x\xe2" "\x82" ".mp3",
		    "reference \"x\\xe2\\x82.mp3\": not valid UTF-8 at byte "
		    "1" },
		{ "x\xf0" "\x9f" "\x8e" ".mp3",
		    "reference \"x\\xf0\\x9f\\x8e.mp3\": not valid UTF-8 at "
		    "byte 1" },
		{ "\xc3" "",
		    "reference \"\\xc3\": not valid UTF-8 at byte 0" },
		{ "a/b\x80" ".mp3",
		    "reference \"a/b\\x80.mp3\": not valid UTF-8 at byte 3" },
		{ "CON",
		    "reference \"CON\": name \"CON\": reserved Windows "
		    "device name \"CON\"" },
		{ "con.mp3",
		    "reference \"con.mp3\": name \"con.mp3\": reserved "
		    "Windows device name \"con\"" },
		{ "COM1/x.mp3",
		    "reference \"COM1/x.mp3\": name \"COM1\": reserved "
		    "Windows device name \"COM1\"" },
		{ "lpt\xc2" "\xb9" "/x.mp3",
		    "reference \"lpt\xc2" "\xb9" "/x.mp3\": name "
		    "\"lpt\xc2" "\xb9" "\": reserved Windows device name "
		    "\"lpt\xc2" "\xb9" "\"" },
		{ "nul .mp3",
		    "reference \"nul .mp3\": name \"nul .mp3\": reserved "
		    "Windows device name \"nul\"" },
		{ "AUX .tar.mp3",
		    "reference \"AUX .tar.mp3\": name \"AUX .tar.mp3\": "
		    "reserved Windows device name \"AUX\"" },
		{ "mp3s/prn",
		    "reference \"mp3s/prn\": name \"prn\": reserved Windows "
		    "device name \"prn\"" },
		{ "x./y.mp3",
		    "reference \"x./y.mp3\": name \"x.\": ends with a dot; "
		    "Windows drops it and would open another file" },
		{ "x /y.mp3",
		    "reference \"x /y.mp3\": name \"x \": ends with a space; "
		    "Windows drops it and would open another file" },
		{ "x.mp3.",
		    "reference \"x.mp3.\": name \"x.mp3.\": ends with a dot; "
		    "Windows drops it and would open another file" },
		{ "x.mp3 ",
		    "reference \"x.mp3 \": name \"x.mp3 \": ends with a "
		    "space; Windows drops it and would open another file" },
		{ "a/./b.mp3",
		    "reference \"a/./b.mp3\": \".\" segment; write the path "
		    "without it" },
		{ "a/../b.mp3",
		    "reference \"a/../b.mp3\": \"..\" segment would climb "
		    "out of the media root" },
		{ "...",
		    "reference \"...\": name \"...\": ends with a dot; "
		    "Windows drops it and would open another file" },
		{ ". /x.mp3",
		    "reference \". /x.mp3\": name \". \": ends with a space; "
		    "Windows drops it and would open another file" },
		{ "x.mp",
		    "reference \"x.mp\": extension \".mp\" is not allowed "
		    "(allowed: .mp3)" },
		{ "x.mp33",
		    "reference \"x.mp33\": extension \".mp33\" is not "
		    "allowed (allowed: .mp3)" },
		{ "x.MP3x",
		    "reference \"x.MP3x\": extension \".MP3x\" is not "
		    "allowed (allowed: .mp3)" },
		{ "x.\xc3" "\xb1" "",
		    "reference \"x.\xc3" "\xb1" "\": extension "
		    "\".\xc3" "\xb1" "\" is not allowed (allowed: .mp3)" },
		{ "a.mp3/b",
		    "reference \"a.mp3/b\": has no extension (allowed: .mp3)" },
		{ "a\x7f" "/b.mp3",
		    "reference \"a\\x7f/b.mp3\": control character \\x7f at "
		    "byte 1" },
		{ "a/b\x1f" ".mp3",
		    "reference \"a/b\\x1f.mp3\": control character \\x1f at "
		    "byte 3" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		rl_error_clear();
		cr_expect_eq(ref_check(cases[i].ref, rc_mp3, 1), -1,
		    "[%zu] accepted", i);
		cr_expect_str_eq(rl_error_last(), cases[i].msg, "[%zu]", i);
		rl_error_clear();
		cr_expect_eq(ref_check_plain(cases[i].ref, rc_mp3, 1), -1,
		    "[%zu] accepted by the rules", i);
		cr_expect_str_eq(rl_error_last(), cases[i].msg, "[%zu]", i);
	}
	rl_error_clear();
}

Test(refcheck, accepts_what_only_looks_reserved)
{
	static const char *const good[] = {
		"mp3s/x.mp3", "COM0/x.mp3", "LPT10/x.mp3", "CONS/x.mp3",
		"co n/x.mp3", "lpt\xc2\xb4/x.mp3",	/* superscript 4 */
		"COM\xc2\xb9x/x.mp3", "xcon/x.mp3", "con_/x.mp3",
		"a/b.con.mp3", "nu/x.mp3", "nulll.mp3", "AUX1.mp3",
		" con/x.mp3",		/* a leading space is part of it */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		cr_expect_eq(ref_check(good[i], rc_mp3, 1), 0,
		    "rejected \"%s\": %s", good[i], rl_error_last());
		cr_expect_eq(ref_check_plain(good[i], rc_mp3, 1), 0,
		    "rules rejected \"%s\": %s", good[i], rl_error_last());
	}
	rl_error_clear();
}

/*
 * ref_check (one pass) and ref_check_plain (the rules one by one) on
 * references made of the pieces the rules care about: the same answer
 * and the same message for each, with and without extension lists.
 */
Test(refcheck, one_pass_agrees_with_the_rules)
{
	static const char *const atoms[] = {
		"a", "Z", ".", "..", "/", " ", "\\", ":", "C", "c:", "CON",
		"nUl", "aux", "COM", "lpt", "1", "0", "\xc2\xb9", "\xc2\xb3",
		"\xc2\xb4", "\xc2", "\xb9", "\xc3\xb1", "\xe6\xad\x8c",
		"\xf0\x9f\x8e\xb5", "\xed\xa0\x80", "\xed\x9f\xbf",
		"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xff", "\x80",
		"\xe2\x82", "\x01", "\x1f", "\x7f", "\t", "<", "?", "*", "|",
		"\"", "mp3", "MP3", "wav", ".mp3", ".WAV", ".flac", "take 1",
	};
	static const char *const exts[] = { "mp3", "WAV", "flac" };
	static const size_t nexts[] = { 0, 1, 3 };
	char ref[128], plain[512];
	unsigned long seed = 12345;
	size_t it, len, j, k, n;
	int a, b;

	for (it = 0; it < 60000; it++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		n = 1 + (seed >> 33) % 8;
		for (len = 0, j = 0; j < n; j++) {
			const char *at;

			seed = seed * 6364136223846793005ul + 1;
			at = atoms[(seed >> 33) % ARRAY_SIZE(atoms)];
			memcpy(ref + len, at, strlen(at));
			len += strlen(at);
		}
		if ((seed >> 20) % 3 == 0) {
			memcpy(ref + len, ".mp3", 4);
			len += 4;
		}
		ref[len] = '\0';
		for (k = 0; k < ARRAY_SIZE(nexts); k++) {
			rl_error_clear();
			a = ref_check_plain(ref, exts, nexts[k]);
			snprintf(plain, sizeof(plain), "%s", rl_error_last());
			rl_error_clear();
			b = ref_check(ref, exts, nexts[k]);
			cr_assert_eq(a, b, "\"%s\" (%zu extensions): rules %d, "
			    "one pass %d (%s)", ref, nexts[k], a, b, plain);
			cr_assert_str_eq(rl_error_last(), plain, "\"%s\"", ref);
		}
	}
	rl_error_clear();
}
