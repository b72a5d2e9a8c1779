/* a constant alloca() size larger than scratchsize is a compile-time error */
#pragma D option scratchsize=64
BEGIN
{
	p = alloca(65);
}
