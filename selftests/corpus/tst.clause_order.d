BEGIN
{
	printf("1\n");
}

BEGIN
{
	printf("2\n");
}

BEGIN
{
	exit(0);
}
