BEGIN
{
	x = &arg0;
}
