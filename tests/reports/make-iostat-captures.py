#!/usr/bin/env python3
# make-iostat-captures.py: small UDP captures with chosen timestamps for the io,stat tests
# (tests/test-reports.c): out-of-order and earlier-than-first frames (iostat-ooo), long
# gaps (iostat-long), a rounding tie in the duration (iostat-tie), a duration whose
# microseconds tshark pads with spaces (iostat-pad). Run in this directory.
import struct,sys
def frame(payload_len, ttl=64, dst=(10,0,0,2)):
    eth=bytes(6*[0xff]) if dst==(255,255,255,255) else bytes([2,0,0,0,0,2])
    eth+=bytes([2,0,0,0,0,1])+b'\x08\x00'
    udp_len=8+payload_len
    ip=struct.pack('!BBHHHBBH4s4s',0x45,0,20+udp_len,1,0,ttl,17,0,bytes([10,0,0,1]),bytes(dst))
    udp=struct.pack('!HHHH',5000,5001,udp_len,0)+bytes(payload_len)
    return eth+ip+udp
def write(name, items):
    with open(name,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))
        for t,plen in items:
            d=frame(plen)
            sec=int(t); usec=int(round((t-sec)*1e6))
            f.write(struct.pack('<IIII',sec,usec,len(d),len(d)))
            f.write(d)
base=1700000000
write('iostat-ooo.pcap',[(base+0,10),(base+0.5,20),(base+2.2,30),(base+1.1,40),(base+0.3,5),(base+5.7,50),(base-1,7),(base+12.25,60)])
write('iostat-long.pcap',[(base+i*13.7,i) for i in range(10)])
write('iostat-tie.pcap',[(base,10),(base+12.25,10)])
write('iostat-pad.pcap',[(base,10),(base+3.0004,10)])
