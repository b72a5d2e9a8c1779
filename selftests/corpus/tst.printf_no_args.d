BEGIN
{
	printf("plain text, no conversions\n");
	printf("two ");
	printf("calls\n");
	exit(0);
}
