/*
 * A kernel char * where a subroutine takes a string is the string at that
 * address: here the current task's comm, which execname reads too.
 */
#pragma D option quiet

BEGIN
{
	this->c = (char *)&curthread->comm;
	printf("%d %d %d %d\n", strjoin(this->c, "") == execname, strlen(this->c) == strlen(execname),
	    index(this->c, substr(execname, 1)), basename((char *)&curthread->comm) == execname);
	exit(0);
}
