BEGIN
{
	s = "four";
	printf("%d %d %d\n", strlen(s), strlen(""), strlen(strjoin(s, s)));
	exit(0);
}
