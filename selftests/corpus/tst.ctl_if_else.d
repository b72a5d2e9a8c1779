BEGIN
{
	if (1 > 2)
		printf("a\n");
	else
		printf("b\n");
	exit(0);
}
