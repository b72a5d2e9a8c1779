BEGIN
{
	printf("%Y\n", (uint64_t)0);
	printf("[%25Y]\n", (int64_t)1700000000 * 1000000000);
	exit(0);
}
