/* link_ntop()'s text is cut at strsize, as any string's. */
#pragma D option quiet
#pragma D option strsize=8

BEGIN
{
	this->e = (uint64_t *)alloca(sizeof(uint64_t));
	*this->e = htonll(0x0010e08a715e << 16);
	printf("%s\n", link_ntop(ARPHRD_ETHER, this->e));
	exit(0);
}
