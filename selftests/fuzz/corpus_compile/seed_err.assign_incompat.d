BEGIN
{
	x = 1;
	x = "string";
}
