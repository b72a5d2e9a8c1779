BEGIN
{
	@a = quantize();
}
