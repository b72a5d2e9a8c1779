BEGIN
{
	printf("%s %s %s\n", lltostr(-42), lltostr(0), lltostr(9223372036854775807));
	exit(0);
}
