BEGIN
{
	x = "unterminated;
}
