/*
 * D's arithmetic (DTrace's, not C's): values are computed in 64 bits and
 * narrowed only where stored, cast or recorded; the type of a result is
 * the larger operand's, the unsigned one of two of one size, with no
 * promotion to int (unsigned char + unsigned char is an unsigned char).
 */
#pragma D option quiet

unsigned char C;
signed char c;
unsigned short S;
int i;

BEGIN
{
	/* an int expression overflowing midway keeps its 64-bit value */
	i = 25920;
	i = i - (i + (i * 3) + i) * i / i * i;
	printf("%d\n", i);
	i = i * (i - 3 + 5 / i * i) / i * 6;
	printf("%d\n", i);
	/* so does a constant one, folded by the compiler */
	printf("%d\n", (2147483647 + 1) / 2);
	j = 2147483647;
	printf("%d\n", (j + 1) / 2);

	/* the result's type: uchar + uchar, uchar + schar, ushort + ushort */
	C = 254;
	printf("%d %d\n", C + C, C + 3);
	c = -3;
	printf("%d %d\n", C + c, c + c);
	S = 65535;
	printf("%u\n", S + S);
	/* stored, the value is narrowed to the variable's type */
	C = C + C;
	printf("%d\n", C);
	exit(0);
}
