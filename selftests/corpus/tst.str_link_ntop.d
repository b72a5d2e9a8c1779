/*
 * link_ntop(): an Ethernet MAC (6 bytes) and an IPoIB address (20 bytes)
 * the program placed, by a constant and a variable hardware type; another
 * type is an illegal operation (the ERROR probe's DTRACEFLT_ILLOP, arg5
 * the type).
 */
#pragma D option quiet

uint8_t ib[20];

BEGIN
{
	this->e = (uint64_t *)alloca(sizeof(uint64_t));
	*this->e = htonll(0x0010e08a715e << 16);
	printf("%s\n", link_ntop(ARPHRD_ETHER, this->e));
	*this->e = htonll(0x020820ac040e << 16);
	t = ARPHRD_ETHER;
	printf("%s\n", link_ntop(t, this->e));
	ib[0] = 0x80;
	ib[4] = 0xfe;
	ib[13] = 0x02;
	ib[14] = 0xc9;
	ib[19] = 0xcd;
	t = ARPHRD_INFINIBAND;
	printf("%s\n", link_ntop(t, ib));
}

BEGIN
{
	t = 6;
	printf("not reached %s\n", link_ntop(t, ib));
}

ERROR
{
	printf("fault %s %d\n", arg4 == DTRACEFLT_ILLOP ? "illop" : "other", arg5);
	exit(0);
}
