/*
 * An exit() in END has the last word on the status (as in DTrace): BEGIN
 * exits with 1, END, which runs after it, with 3.
 */
BEGIN
{
	exit(1);
}

END
{
	printf("end\n");
	exit(3);
}
