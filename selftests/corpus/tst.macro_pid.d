BEGIN
{
	printf("%d %d\n", $pid == pid, $target);
	exit(0);
}
