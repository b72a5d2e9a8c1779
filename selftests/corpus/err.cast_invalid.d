BEGIN
{
	x = (string)arg0;
}
