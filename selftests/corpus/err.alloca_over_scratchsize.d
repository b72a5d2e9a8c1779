/* alloca() sizes add up to at most scratchsize (rounded up to 8) per clause */
#pragma D option scratchsize=16
BEGIN
{
	n = 9;
	a = alloca(8);
	b = alloca(n);
	exit(0);
}
