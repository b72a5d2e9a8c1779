/*
 * str[i] is the char at index i of a string, whatever holds the string:
 * a global, a thread-local, a clause-local, a built-in, a literal; the NUL
 * at the end reads as 0.
 */
BEGIN
{
	s = "ABCDEFG";
	self->t = "xyz";
	this->u = "k";
	printf("%d %c %c %c %d\n", s[1], s[6], self->t[2], this->u[0], s[7]);
	printf("%c%c\n", "lit"[0], execname[0] == 'k' ? 'y' : 'n');
	exit(0);
}
