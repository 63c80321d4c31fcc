/*
 * version.h - renderlink's version, for --version and the plug-in
 * protocol's "renderlink" field.
 */
#ifndef RL_VERSION_H
#define RL_VERSION_H

#ifndef RENDERLINK_VERSION
#define RENDERLINK_VERSION "0.2.0"
#endif

#endif
