cmd_Release/obj.target/gankit_vips/src/whole_image.o := g++ -o Release/obj.target/gankit_vips/src/whole_image.o ../src/whole_image.cc '-DNODE_GYP_MODULE_NAME=gankit_vips' '-DUSING_UV_SHARED=1' '-DUSING_V8_SHARED=1' '-DV8_DEPRECATION_WARNINGS=1' '-D_GLIBCXX_USE_CXX11_ABI=1' '-D_FILE_OFFSET_BITS=64' '-D_LARGEFILE_SOURCE' '-D__STDC_FORMAT_MACROS' '-DOPENSSL_NO_PINSHARED' '-DOPENSSL_THREADS' '-DNAPI_VERSION=8' '-DBUILDING_NODE_EXTENSION' -I/usr/include/node -I/usr/src -I/usr/deps/openssl/config -I/usr/deps/openssl/openssl/include -I/usr/deps/uv/include -I/usr/deps/zlib -I/usr/deps/v8/include -I../../src -I/work/main/node_modules/@img/sharp-libvips-dev/include -I/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0 -I/work/main/node_modules/@img/sharp-libvips-linux-x64/lib/glib-2.0/include  -fPIC -pthread -Wall -Wextra -Wno-unused-parameter -m64 -O3 -fno-omit-frame-pointer -fno-rtti -std=gnu++17 -std=c++17 -O3 -ffp-contract=off -fno-fast-math -fexceptions -MMD -MF ./Release/.deps/Release/obj.target/gankit_vips/src/whole_image.o.d.raw   -c
Release/obj.target/gankit_vips/src/whole_image.o: ../src/whole_image.cc \
 ../src/whole_image.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/vips.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/galloca.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtypes.h \
 /work/main/node_modules/@img/sharp-libvips-linux-x64/lib/glib-2.0/include/glibconfig.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmacros.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gversionmacros.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-visibility.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/garray.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gasyncqueue.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gthread.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gatomic.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-typeof.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gerror.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gquark.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbacktrace.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbase64.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbitlock.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbookmarkfile.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdatetime.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtimezone.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbytes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gcharset.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gchecksum.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gconvert.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdataset.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdate.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdir.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/genviron.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gfileutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ggettext.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghash.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glist.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmem.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gnode.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghmac.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gchecksum.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghook.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghostutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/giochannel.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmain.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpoll.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gslist.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstring.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gunicode.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstrfuncs.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gkeyfile.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmappedfile.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmarkup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmessages.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gvariant.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gvarianttype.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/goption.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpathbuf.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpattern.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gprimes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gqsort.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gqueue.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grand.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grcbox.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grefcount.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grefstring.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmem.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmacros.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gscanner.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gsequence.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gshell.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gslice.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gspawn.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstringchunk.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstrvbuilder.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtestutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gthreadpool.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtimer.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtrashstack.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtree.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/guri.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/guuid.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gversion.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gallocator.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gcache.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gcompletion.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gmain.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/grel.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gthread.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-autocleanups.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstdio.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gprintf.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gmodule.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gmodule/gmodule-visibility.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib-object.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gbinding.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtype.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject-visibility.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvalue.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gparam.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gclosure.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsignal.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gmarshal.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gboxed.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/glib-types.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gbindinggroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/genums.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/glib-enumtypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gparamspecs.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsignalgroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsourceclosure.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtypemodule.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtypeplugin.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvaluearray.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvaluetypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject-autocleanups.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giotypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioenums.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio-visibility.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gaction.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroupexporter.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactionmap.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gappinfo.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gapplication.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gapplicationcommandline.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gasyncinitable.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginitable.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gasyncresult.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbufferedinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilterinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbufferedoutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilteroutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/goutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbytesicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcancellable.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcharsetconverter.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverter.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcontenttype.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverterinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverteroutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcredentials.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdatagrambased.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdatainputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdataoutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusactiongroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giotypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusauthobserver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbuserror.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusinterface.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusinterfaceskeleton.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusintrospection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmenumodel.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmessage.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmethodinvocation.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusnameowning.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusnamewatching.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobject.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanager.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanagerclient.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanagerserver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectproxy.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectskeleton.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusproxy.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusserver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdebugcontroller.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdebugcontrollerdbus.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdrive.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsclientconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsserverconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gemblemedicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gemblem.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfile.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileattribute.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileenumerator.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileinfo.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileiostream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giostream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioerror.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilemonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilenamecompleter.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileoutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetaddressmask.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetsocketaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioenumtypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giomodule.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioscheduler.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giptosmessage.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketcontrolmessage.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gipv6tclassmessage.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/glistmodel.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gliststore.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gloadableicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemoryinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemorymonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemoryoutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenu.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenumodel.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenuexporter.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmount.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmountoperation.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnativesocketaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnativevolumemonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvolumemonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkmonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkservice.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnotification.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpermission.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableinputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableoutputstream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableutils.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpowerprofilemonitor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpropertyaction.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxy.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyaddressenumerator.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketaddressenumerator.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyresolver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gremoteactiongroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gresolver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gresource.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gseekable.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsettings.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsettingsschema.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleaction.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleactiongroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroup.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactionmap.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleasyncresult.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleiostream.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimplepermission.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleproxyresolver.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocket.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketclient.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketconnectable.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketlistener.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketservice.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsrvtarget.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsubprocess.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsubprocesslauncher.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtask.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtcpconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtcpwrapperconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtestdbus.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gthemedicon.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gthreadedsocketservice.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsbackend.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlscertificate.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsclientconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsdatabase.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsfiledatabase.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsinteraction.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlspassword.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsserverconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixconnection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixcredentialsmessage.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixfdlist.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixsocketaddress.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvfs.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvolume.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gzlibcompressor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gzlibdecompressor.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio-autocleanups.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/basic.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/buf.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/dbuf.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/util.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/object.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/type.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/gate.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/connection.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/sbuf.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/version.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/rect.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/private.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/image.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/region.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/memory.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/error.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/format.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/generate.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/interpolate.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/semaphore.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/thread.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/threadpool.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/header.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/operation.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/foreign.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/enumtypes.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/arithmetic.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/conversion.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/convolution.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/morphology.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/mosaicing.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/histogram.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/freqfilt.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/resample.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/colour.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/draw.h \
 /work/main/node_modules/@img/sharp-libvips-dev/include/vips/create.h \
 ../../src/kernels.h
../src/whole_image.cc:
../src/whole_image.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/vips.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/galloca.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtypes.h:
/work/main/node_modules/@img/sharp-libvips-linux-x64/lib/glib-2.0/include/glibconfig.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmacros.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gversionmacros.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-visibility.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/garray.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gasyncqueue.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gthread.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gatomic.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-typeof.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gerror.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gquark.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbacktrace.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbase64.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbitlock.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbookmarkfile.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdatetime.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtimezone.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gbytes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gcharset.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gchecksum.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gconvert.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdataset.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdate.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gdir.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/genviron.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gfileutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ggettext.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghash.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glist.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmem.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gnode.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghmac.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gchecksum.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghook.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/ghostutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/giochannel.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmain.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpoll.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gslist.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstring.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gunicode.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstrfuncs.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gkeyfile.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmappedfile.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmarkup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmessages.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gvariant.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gvarianttype.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/goption.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpathbuf.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gpattern.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gprimes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gqsort.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gqueue.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grand.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grcbox.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grefcount.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/grefstring.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmem.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gmacros.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gscanner.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gsequence.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gshell.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gslice.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gspawn.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstringchunk.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstrvbuilder.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtestutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gthreadpool.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtimer.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtrashstack.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gtree.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/guri.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/guuid.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gversion.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gallocator.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gcache.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gcompletion.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gmain.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/grel.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/deprecated/gthread.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/glib-autocleanups.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gstdio.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib/gprintf.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gmodule.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gmodule/gmodule-visibility.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/glib-object.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gbinding.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtype.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject-visibility.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvalue.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gparam.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gclosure.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsignal.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gmarshal.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gboxed.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/glib-types.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gbindinggroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/genums.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/glib-enumtypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gparamspecs.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsignalgroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gsourceclosure.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtypemodule.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gtypeplugin.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvaluearray.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gvaluetypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gobject/gobject-autocleanups.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giotypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioenums.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio-visibility.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gaction.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroupexporter.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactionmap.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gappinfo.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gapplication.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gapplicationcommandline.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gasyncinitable.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginitable.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gasyncresult.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbufferedinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilterinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbufferedoutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilteroutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/goutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gbytesicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcancellable.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcharsetconverter.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverter.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcontenttype.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverterinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gconverteroutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gcredentials.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdatagrambased.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdatainputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdataoutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusactiongroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giotypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusauthobserver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbuserror.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusinterface.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusinterfaceskeleton.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusintrospection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmenumodel.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmessage.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusmethodinvocation.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusnameowning.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusnamewatching.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobject.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanager.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanagerclient.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectmanagerserver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectproxy.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusobjectskeleton.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusproxy.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusserver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdbusutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdebugcontroller.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdebugcontrollerdbus.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdrive.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsclientconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gdtlsserverconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gemblemedicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gemblem.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfile.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileattribute.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileenumerator.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileinfo.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileiostream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giostream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioerror.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilemonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfilenamecompleter.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gfileoutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetaddressmask.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/ginetsocketaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioenumtypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giomodule.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gioscheduler.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/giptosmessage.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketcontrolmessage.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gipv6tclassmessage.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/glistmodel.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gliststore.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gloadableicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemoryinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemorymonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmemoryoutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenu.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenumodel.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmenuexporter.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmount.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gmountoperation.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnativesocketaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnativevolumemonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvolumemonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkmonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnetworkservice.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gnotification.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpermission.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableinputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableoutputstream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpollableutils.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpowerprofilemonitor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gpropertyaction.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxy.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyaddressenumerator.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketaddressenumerator.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gproxyresolver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gremoteactiongroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gresolver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gresource.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gseekable.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsettings.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsettingsschema.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleaction.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleactiongroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactiongroup.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gactionmap.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleasyncresult.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleiostream.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimplepermission.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsimpleproxyresolver.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocket.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketclient.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketconnectable.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketlistener.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsocketservice.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsrvtarget.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsubprocess.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gsubprocesslauncher.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtask.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtcpconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtcpwrapperconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtestdbus.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gthemedicon.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gthreadedsocketservice.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsbackend.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlscertificate.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsclientconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsdatabase.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsfiledatabase.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsinteraction.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlspassword.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gtlsserverconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixconnection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixcredentialsmessage.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixfdlist.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gunixsocketaddress.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvfs.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gvolume.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gzlibcompressor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gzlibdecompressor.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/glib-2.0/gio/gio-autocleanups.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/basic.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/buf.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/dbuf.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/util.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/object.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/type.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/gate.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/connection.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/sbuf.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/version.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/rect.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/private.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/image.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/region.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/memory.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/error.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/format.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/generate.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/interpolate.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/semaphore.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/thread.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/threadpool.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/header.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/operation.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/foreign.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/enumtypes.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/arithmetic.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/conversion.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/convolution.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/morphology.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/mosaicing.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/histogram.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/freqfilt.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/resample.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/colour.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/draw.h:
/work/main/node_modules/@img/sharp-libvips-dev/include/vips/create.h:
../../src/kernels.h:
