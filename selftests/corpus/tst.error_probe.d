BEGIN
{
	x = *(int *)0;
}

ERROR
{
	printf("ERROR fired: %d\n", arg4 != 0);
}

BEGIN
{
	exit(0);
}
