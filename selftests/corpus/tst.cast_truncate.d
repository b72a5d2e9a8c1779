BEGIN
{
	printf("%d %d %d %d %u\n", (char)300, (unsigned char)-1, (short)70000,
	    (int)0x100000001, (unsigned)-1);
	printf("%d %d\n", (int64_t)(int8_t)0x80, (int64_t)(uint8_t)0x80);
	exit(0);
}
