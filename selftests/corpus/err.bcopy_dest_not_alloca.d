/* bcopy()'s destination must be alloca() memory, known at compile time */
int *ptr;

BEGIN
{
	bcopy("abc", ptr, 4);
}
