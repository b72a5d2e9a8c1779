BEGIN
{
	@a = lquantize(arg0, 100, 0, 10);
}
