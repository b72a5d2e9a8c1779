#pragma D option defaultargs

BEGIN
{
	printf("%d [%s]\n", $3, $$3);
	exit(0);
}
