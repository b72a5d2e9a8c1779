BEGIN
/0/
{
	printf("no\n");
}

BEGIN
/1/
{
	printf("yes\n");
	exit(0);
}
