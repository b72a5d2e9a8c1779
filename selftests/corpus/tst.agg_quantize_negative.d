BEGIN
{
	@q = quantize(-1);
	@q = quantize(0);
	@q = quantize(1);
	exit(0);
}
