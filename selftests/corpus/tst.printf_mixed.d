BEGIN
{
	printf("%s=%d (%x) %c%c %u%%\n", "n", 26, 26, 'o', 'k', 99);
	exit(0);
}
