/* inet_ntoa6() takes a struct in6_addr *, not any pointer, as DTrace's */
BEGIN
{
	this->p = (uint32_t *)alloca(16);
	trace(inet_ntoa6(this->p));
}
