nosuchprovider:::nosuchprobe
{
	printf("no\n");
}

BEGIN
{
	exit(0);
}
