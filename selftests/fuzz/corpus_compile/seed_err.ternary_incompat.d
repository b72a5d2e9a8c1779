BEGIN
{
	x = arg0 ? "a" : 1;
}
