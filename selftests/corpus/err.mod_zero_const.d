BEGIN
{
	x = arg0 % (4 - 4);
}
