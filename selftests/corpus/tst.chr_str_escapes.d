/*
 * Escapes as DTrace has them: C's, but \' \? and unknown ones keep their
 * backslash ('\'' is 0x5c27); a character constant of more than 4
 * characters is a 64-bit value.
 */
#pragma D option quiet

BEGIN
{
	printf("%d %d %d %d %d\n", '\?', '\'', '\\', '\"', 'a\bcdefgh');
	printf("%s|%s|%s\n", "\?\\\'\"", "a\tb\x41\101", "it\'s");
	exit(0);
}
