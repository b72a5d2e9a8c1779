/*
 * A program of comments and pragmas only is an empty translation unit:
 * an error (D_EMPTY), as in DTrace, not a session that matches nothing.
 */
#pragma D option quiet
