BEGIN
{
	this->a = (uint8_t *)alloca(16);
	this->a[0] = 0xfe;
	this->a[1] = 0x80;
	this->a[15] = 1;
	printf("%s\n", inet_ntoa6((struct in6_addr *)this->a));
	printf("%s\n", inet_ntop(AF_INET6, this->a));
	this->a[0] = 0;
	this->a[1] = 0;
	this->a[10] = 0xff;
	this->a[11] = 0xff;
	this->a[12] = 127;
	printf("%s\n", inet_ntop(AF_INET6, this->a));
	printf("%s\n", inet_ntop(AF_INET, this->a + 12));
	/* inet_ntoa6() writes an embedded IPv4 address alone (strict: as IPv6) */
	printf("%s\n", inet_ntoa6((struct in6_addr *)this->a));
	printf("%s\n", inet_ntoa6((struct in6_addr *)this->a, 1));
	exit(0);
}
