BEGIN
{
	printf("a\tb\\c\"d'e\x41\101\n");
	exit(0);
}
