BEGIN
{
	printf("before\n");
	x = *(int *)0;
	printf("never\n");
}

BEGIN
{
	printf("after\n");
	exit(0);
}
