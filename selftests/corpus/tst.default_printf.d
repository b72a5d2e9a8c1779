BEGIN
{
	printf("hello");
}

BEGIN
{
	exit(0);
}
