/*
 * trace() of an integer without -q: dtrace(1)'s columns by the value's type
 * (3 for 8-bit, 5 for 16-bit, 10 for 32-bit, 19 for 64-bit, after a space:
 * DTrace's suite shows trace(++x) in 20 columns), signed types signed and
 * unsigned types unsigned.
 */
BEGIN
{
	trace((int8_t)-1);
	trace((uint8_t)-1);
	trace((int16_t)-1);
	trace((uint16_t)-1);
	trace((int32_t)-1);
	trace((uint32_t)-1);
	trace((int64_t)-1);
	trace((uint64_t)-1);
	exit(0);
}
