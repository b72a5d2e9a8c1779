BEGIN
{
	printf("%s\n", 1 ? "yes" : "no");
	exit(0);
}
