/*
 * ioctl_decoded.c — covers ioctl requests the ioctl table does not list,
 * whose number says the direction and size (_IOC): PIDFD_GET_INFO (_IOWR,
 * the kernel fills a struct pidfd_info) and FS_IOC_GETFSUUID (_IOR). What
 * the kernel wrote must reach the program in replay: the pids pidfd_info
 * holds are checked against getpid/getppid, the uuid's length against 16.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* <linux/pidfd.h>, version 0 of the struct (64 bytes) */
struct pidfd_info {
    uint64_t mask;
    uint64_t cgroupid;
    uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int32_t exit_code;
};
#define PIDFD_INFO_PID 1ull
#define PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info)

/* <linux/fs.h> */
struct fsuuid2 {
    uint8_t len;
    uint8_t uuid[16];
};
#define FS_IOC_GETFSUUID _IOR(0x15, 0, struct fsuuid2)

int main(void)
{
    int wrong = 0;
    int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    struct pidfd_info info;
    memset(&info, 0xee, sizeof info);
    info.mask = PIDFD_INFO_PID;
    if (pidfd < 0 || ioctl(pidfd, PIDFD_GET_INFO, &info) < 0) {
        printf("PIDFD_GET_INFO: %s\n", strerror(errno));
    } else if (info.pid != (uint32_t)getpid() || info.tgid != (uint32_t)getpid() ||
               info.ppid != (uint32_t)getppid()) {
        printf("wrong: pidfd_info says pid %u tgid %u ppid %u\n", info.pid, info.tgid, info.ppid);
        wrong++;
    } else {
        printf("PIDFD_GET_INFO: pid, tgid and ppid are ours (uid %u)\n", info.ruid);
    }

    int fd = open("input.txt", O_RDONLY);
    struct fsuuid2 uuid;
    memset(&uuid, 0xee, sizeof uuid);
    if (fd < 0 || ioctl(fd, FS_IOC_GETFSUUID, &uuid) < 0) {
        printf("FS_IOC_GETFSUUID: %s\n", strerror(errno));
    } else if (uuid.len > 16) {
        printf("wrong: a uuid of %u bytes\n", uuid.len);
        wrong++;
    } else {
        printf("FS_IOC_GETFSUUID: %u bytes\n", uuid.len);
    }
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
