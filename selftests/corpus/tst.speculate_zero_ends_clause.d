/* speculate(0) ends its clause there, quietly, as in DTrace: n stays 0 */
BEGIN
{
	speculate(0);
	n++;
}

BEGIN
{
	printf("%d\n", n);
	exit(0);
}
