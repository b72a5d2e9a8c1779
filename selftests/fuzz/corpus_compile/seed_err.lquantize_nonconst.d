BEGIN
{
	@a = lquantize(arg0, 0, arg1, 10);
}
