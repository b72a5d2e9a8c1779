BEGIN
{
	printf("%s|%s|%s\n", strstr("hello world", "wor"), strchr("hello", 'l'), strrchr("hello", 'l'));
	exit(0);
}
