/*
 * A string compares with NULL (== and !=): true when the string is no
 * string at all, as strtok() returns when no token is left.
 */
#pragma D option quiet

BEGIN
{
	x = "ab";
	y = "ab";
	printf("%d %d %d %d\n", strtok(x, y) == NULL, NULL != strtok(NULL, y), x == NULL,
	    strtok("a,b", ",") != NULL);
	exit(0);
}
