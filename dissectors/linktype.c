/* linktype.c: link-type numbers to Wireshark encapsulations and names. */
#include "linktype.h"

#include <stddef.h>

static const struct {
    int linktype;
    int encap;
    const char *name;
} linktypes[] = {
    { PEEL_LINKTYPE_NULL, 15, "NULL" },
    { PEEL_LINKTYPE_ETHERNET, 1, "EN10MB" },
    { PEEL_LINKTYPE_PPP, 4, "PPP" },
    { PEEL_LINKTYPE_RAW, 7, "RAW" },
    { PEEL_LINKTYPE_LOOP, 174, "LOOP" },
    { PEEL_LINKTYPE_LINUX_SLL, 25, "LINUX_SLL" },
    { 192, 97, "PPI" },
    { PEEL_LINKTYPE_IPV4, 129, "IPV4" },
    { PEEL_LINKTYPE_IPV6, 130, "IPV6" },
    { 231, 146, "DBUS" },
    { 239, 141, "NFLOG" },
    { 253, 158, "NETLINK" },
    { PEEL_LINKTYPE_LINUX_SLL2, 210, "LINUX_SLL2" },
    { 271, 185, "VSOCK" },
};

int
peel_linktype_to_encap(int linktype)
{
    for (size_t i = 0; i < sizeof linktypes / sizeof linktypes[0]; i++)
        if (linktypes[i].linktype == linktype)
            return linktypes[i].encap;
    /* LINKTYPE_USER0..15 (147-162) are Wireshark's USER0..15 (45-60). */
    if (linktype >= 147 && linktype <= 162)
        return 45 + (linktype - 147);
    return -1;
}

const char *
peel_linktype_column(int linktype)
{
    for (size_t i = 0; i < sizeof linktypes / sizeof linktypes[0]; i++)
        if (linktypes[i].linktype == linktype)
            return linktypes[i].name;
    return "Data";
}
