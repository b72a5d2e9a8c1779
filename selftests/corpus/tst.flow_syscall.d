syscall::openat:entry,
syscall::openat:return
/pid == $target/
{
}
