BEGIN
{
	@ll = llquantize(5, 10, 0, 2, 10);
	exit(0);
}
