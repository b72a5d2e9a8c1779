BEGIN
{
	printf("x"
}
