BEGIN
{
	printf("[%s|%8s|%-8s|%.2s]\n", "abc", "abc", "abc", "abc");
	exit(0);
}
