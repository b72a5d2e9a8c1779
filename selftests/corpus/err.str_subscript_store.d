/* the characters of a string cannot be assigned */
BEGIN
{
	s = "ab";
	s[0] = 'x';
}
