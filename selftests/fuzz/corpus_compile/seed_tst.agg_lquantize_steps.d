BEGIN
{
	@l = lquantize(2, 0, 5, 1);
	@l = lquantize(2, 0, 5, 1);
	@l = lquantize(2, 0, 5, 1);
	exit(0);
}
